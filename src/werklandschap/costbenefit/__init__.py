"""The cost-benefit-beneficiaries model (kosten, baten, baathebbers): framework-free.

Like the scan engine, this package imports no Django: the measures catalogue
(``catalog``) and the model (``model``) are plain Python and numpy, easy to
test, benchmark and reuse. The platform's pages call it.
"""
