"""One module per command: plain values in, (text, exit code) out."""
