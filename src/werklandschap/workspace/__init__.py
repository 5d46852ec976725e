"""Each user's start page (werkplek): what is theirs to do or to see, per role.

The page is a list of *sections* from a small registry (``sections.py``); each
capability adds its own section function, so the support desk, vouchers and
events can add their items later without touching the page or the view.
"""
