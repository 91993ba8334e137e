"""``tf.signal``: the FFT ops and their gradients (``fft``), framing and overlap-add (``shape``), windows,
spectrograms (``spectral``), mel filterbanks and MFCCs (``mel``), and the discrete cosine transforms (``dct``)."""
