"""The claims service: Claims: mutual-aid plans, claims, reimbursement."""
