"""A shop: the fixture repository of the dep_search golden case."""
