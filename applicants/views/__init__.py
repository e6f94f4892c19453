"""The applicants' pages and the centre's side of them, by area."""
