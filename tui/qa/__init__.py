"""The quality-assurance screens: the lead's QA screen (`q` from the case list), the
assign modal (`a` in the case list) and the QA part of the case form (`q` opens a query,
open queries, failed checks and the sign-off lock)."""
