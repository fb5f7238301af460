"""Agreement screen (F5): inter-rater agreement of second readings, and disagreements."""
