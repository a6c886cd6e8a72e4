"""The board: categories, forums, topics, posts, BBCode, moderation, search, feeds."""
