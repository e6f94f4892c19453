"""Writers turn any exporter into a file: one for Excel, one for PDF."""
