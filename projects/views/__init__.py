"""The projects app's pages by area: projects and their lifecycle, execution
records, money. The URL modules import the area modules directly."""
