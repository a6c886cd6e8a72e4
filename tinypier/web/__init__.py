"""What every page of the site shares: rendering, flash messages, error pages."""
