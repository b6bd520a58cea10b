"""The orders service. Orders and customers: sales, their lifecycle, and customer totals."""
