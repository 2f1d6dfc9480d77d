"""Site search: what each page tells Pagefind, and the Pagefind run over the built site."""
