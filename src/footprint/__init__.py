"""Footprint: map a military presence from sourced CSV data."""
