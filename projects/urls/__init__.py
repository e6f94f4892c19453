"""The projects app's URLs by area; khuyencong/urls.py includes each module
with its own namespace ("projects", "money")."""
