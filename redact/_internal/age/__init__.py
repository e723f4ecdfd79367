"""age v1 file format (c2sp.org/age) on top of the ``cryptography`` package.

Internal: the public API is :mod:`redact.seal`. Modules:

* :mod:`.bech32` -- key string encoding;
* :mod:`.header` -- header parsing/encoding, stanzas, header MAC;
* :mod:`.stream` -- the 64 KiB ChaCha20-Poly1305 STREAM payload;
* :mod:`.armor` -- strict PEM-style ASCII armor;
* :mod:`.recipients` -- X25519, ML-KEM-768+X25519 hybrid and scrypt recipients
  and identities;
* :mod:`.core` -- encrypt/decrypt tying the pieces together;
* :mod:`.reader` -- buffered reads without seeking;
* :mod:`.files` -- atomic, no-overwrite file writes.
"""
