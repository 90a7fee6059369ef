"""What every CRM list page shares on the web side: CSV export, bulk actions."""
