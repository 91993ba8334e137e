"""``tf.compat.v1.signal``: ``tf.signal``.

>>> import featherflow as tf
>>> tf.compat.v1.signal.hann_window(4).numpy().tolist()
[0.0, 0.5, 1.0, 0.5]
"""

from ...signal import dct as dct
from ...signal import fft as fft
from ...signal import fft2d as fft2d
from ...signal import fft3d as fft3d
from ...signal import fftnd as fftnd
from ...signal import fftshift as fftshift
from ...signal import frame as frame
from ...signal import hamming_window as hamming_window
from ...signal import hann_window as hann_window
from ...signal import idct as idct
from ...signal import ifft as ifft
from ...signal import ifft2d as ifft2d
from ...signal import ifft3d as ifft3d
from ...signal import ifftnd as ifftnd
from ...signal import ifftshift as ifftshift
from ...signal import inverse_mdct as inverse_mdct
from ...signal import inverse_stft as inverse_stft
from ...signal import inverse_stft_window_fn as inverse_stft_window_fn
from ...signal import irfft as irfft
from ...signal import irfft2d as irfft2d
from ...signal import irfft3d as irfft3d
from ...signal import irfftnd as irfftnd
from ...signal import kaiser_bessel_derived_window as kaiser_bessel_derived_window
from ...signal import kaiser_window as kaiser_window
from ...signal import linear_to_mel_weight_matrix as linear_to_mel_weight_matrix
from ...signal import mdct as mdct
from ...signal import mfccs_from_log_mel_spectrograms as mfccs_from_log_mel_spectrograms
from ...signal import overlap_and_add as overlap_and_add
from ...signal import rfft as rfft
from ...signal import rfft2d as rfft2d
from ...signal import rfft3d as rfft3d
from ...signal import rfftnd as rfftnd
from ...signal import stft as stft
from ...signal import vorbis_window as vorbis_window
