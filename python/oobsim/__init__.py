"""oobsim: Python helpers for the oobsim simulator.

Modules:
    vcd   a standard-library-only reader for VCD waveform files (what ``oobsim run --vcd`` writes)
"""
