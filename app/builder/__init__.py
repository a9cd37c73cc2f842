"""The site builder's parts: one field binder (binder.py) and the section widgets over it."""
