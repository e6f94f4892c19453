"""The projects app's forms by area: projects and lifecycle actions,
execution records, money."""
