"""The relief desk (帮扶): hardship files and cards, the monthly subsidy run, grants."""
