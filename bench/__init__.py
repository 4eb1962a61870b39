"""Benchmarks of chitieu-bot, run by `make bench` (`python -m bench [reply|throughput|wave|summary|start]`).

Each prints plain lines `name: value unit (goal …)`; see bench/RESULTS.md for recorded figures.
"""
