"""The generator-neutral build: prepare, render (by an adapter), finish."""
