"""Rule packs: YAML data per platform, the schema they follow and the loader."""
