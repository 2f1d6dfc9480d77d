"""Quality gates: docs/ pages checked before rendering, the built site checked before it is published."""
