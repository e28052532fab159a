"""The outreach desk (服务): benefit campaigns and hand-outs, roving sessions and check-ins,
requests and complaints (诉求受理) with their routing and outcome."""
