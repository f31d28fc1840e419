"""What every page shares: base form, Jinja filters, security headers, error pages."""
