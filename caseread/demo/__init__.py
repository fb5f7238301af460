"""The demo inspection: "Bedfordshire 2013 (reconstructed)", synthetic cases whose answers
reproduce the figures the report states (see docs/demo.md)."""
