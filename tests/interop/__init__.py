"""Interoperability: push, serve, remote endpoints, exports, example queries."""
