"""The synthetic demo region: a Binhai-like district's IP records, clearly labelled synthetic.

:func:`ipobs.demo.build.build_demo` creates a store holding every record kind (patents with
their histories, marks, copyrights, entities and flags, cases, credit, finance, ledgers,
region facts), calibrated to Binhai's published end-2018 figures (docs/demo.md).
"""
