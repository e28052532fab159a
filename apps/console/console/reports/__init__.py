"""The reports desk (统计报表): figures per district and period from the services' report
endpoints (their read models), as a page with charts, a print layout and an Excel file."""
