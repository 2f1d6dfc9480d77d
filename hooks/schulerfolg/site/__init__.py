"""The site's pages and files, generated from the model (templates, finder, map, open data, cards, URLs)."""
