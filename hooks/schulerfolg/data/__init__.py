"""The data layer: YAML read safely, validated into a typed model, with German, located problems."""
