"""A voice for the explainer: each caption cue spoken (espeak-ng) or recorded, its length, and the audio track."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np

from .errors import ConfigError

ESPEAK = "espeak-ng"  # Debian's offline synthetic voice
ESPEAK_OPTIONS = ("-v", "en-us", "-s", "150")  # words a minute: a little slower than espeak's 175, for a class
RATE = 48_000  # samples a second of the track (Opus's own rate; AAC takes it too)
SILENT = 10 ** (-50 / 20)  # a recording whose loudest sample is under -50 dBFS says nothing
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".opus", ".mp3", ".m4a", ".aac", ".webm")
MAX_RECORDING_BYTES = 100_000_000  # one cue's recording; larger is not a cue


class VoiceError(ConfigError):
    """A cue's recording is missing, unreadable or silent (the message names the cue)."""


def check_voice(voice: str | None) -> str | None:
    """``"espeak"`` when espeak-ng is installed, or the folder of recordings as an absolute path; None: silent."""
    if voice is None:
        return None
    if voice == "espeak":
        if shutil.which(ESPEAK) is None:
            raise ConfigError("--voice espeak needs espeak-ng: apt-get install espeak-ng (scripts/setup.sh does)")
        return voice
    folder = Path(voice).expanduser()
    if not folder.is_dir():
        raise ConfigError(f"voice must be espeak or a folder of recordings named by cue id; {voice!r} is neither")
    return str(folder.resolve())


def recording(folder: str | Path, cue_id: str) -> Path:
    """The recording of ``cue_id`` in ``folder`` (``<id>.wav``, ``.mp3``, ``.ogg`` ...), or a VoiceError."""
    found = [p for p in (Path(folder) / f"{cue_id}{s}" for s in AUDIO_SUFFIXES) if p.is_file()]
    if not found:
        raise VoiceError(f"no recording for cue {cue_id} in {folder} (expected {cue_id}.wav, .mp3, .ogg, ...)")
    if len(found) > 1:
        raise VoiceError(f"cue {cue_id} has {len(found)} recordings ({', '.join(p.name for p in found)}); keep one")
    return found[0]


def check_recordings(folder: str | Path, scenes: Sequence[str]) -> int:
    """Read every recording in ``folder`` named like a cue of ``scenes`` (``<scene>-<beat>-<piece>.<ext>``) before
    anything renders: an unreadable or silent one is a VoiceError naming its cue now, not minutes into a render.
    Returns how many were found (a missing one is only known when its scene reaches the cue)."""
    pattern = re.compile(rf"^(?:{'|'.join(map(re.escape, scenes))})-\d+-\d+$")
    found = [p for p in sorted(Path(folder).iterdir()) if p.suffix.lower() in AUDIO_SUFFIXES and pattern.match(p.stem)]
    for path in found:
        read_audio(path, path.stem)
    return len(found)


def speak(text: str, dest: Path) -> Path:
    """Synthesize ``text`` with espeak-ng into the WAV ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [ESPEAK, *ESPEAK_OPTIONS, "-w", str(dest), "--", text],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ConfigError(f"espeak-ng could not speak {text[:40]!r}: {exc}") from None
    return dest


def read_audio(path: Path, cue_id: str = "") -> np.ndarray:
    """The recording as mono float32 samples at ``RATE``; a VoiceError naming the cue when it is unreadable or
    silent."""
    import av

    what = f"cue {cue_id}'s recording {Path(path).name}" if cue_id else f"the recording {path}"
    try:
        if Path(path).stat().st_size > MAX_RECORDING_BYTES:
            raise VoiceError(f"{what} is larger than {MAX_RECORDING_BYTES // 1_000_000} MB")
        chunks = []
        with av.open(str(path)) as c:
            if not c.streams.audio:
                raise VoiceError(f"{what} has no audio")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            for frame in c.decode(c.streams.audio[0]):
                chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
            chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    except VoiceError:
        raise
    except (OSError, ValueError, av.FFmpegError) as exc:
        raise VoiceError(f"{what} cannot be read as audio ({type(exc).__name__})") from None
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if not np.all(np.isfinite(samples)):
        raise VoiceError(f"{what} holds samples that are not numbers")
    if samples.size == 0 or float(np.max(np.abs(samples))) < SILENT:
        raise VoiceError(f"{what} is silent")
    return samples


def cue_audio(voice: str, cue_id: str, text: str, work: Path) -> tuple[Path, float]:
    """The audio of one cue and its length in seconds: spoken by espeak-ng into ``work``, or the recording."""
    if voice == "espeak":
        path = speak(text, Path(work) / "voice" / f"{cue_id}.wav")
    else:
        path = recording(voice, cue_id)
    return path, len(read_audio(path, cue_id)) / RATE


def track(placed: Sequence[tuple[float, Path]], seconds: float) -> np.ndarray:
    """One mono track ``seconds`` long: each recording starting at its time (cut at the end of the video)."""
    out = np.zeros(max(1, round(seconds * RATE)), dtype=np.float32)
    for start, path in placed:
        samples = read_audio(path)
        a = round(start * RATE)
        if a >= len(out):
            continue
        n = min(len(samples), len(out) - a)
        out[a : a + n] += samples[:n]
    peak = float(np.max(np.abs(out)))
    return out / peak * 0.9 if peak > 1.0 else out  # overlapping speech never clips


def add_audio(video: Path, samples: np.ndarray, dest: Path, fmt: str) -> None:
    """Write ``video`` with the track ``samples`` (mono, ``RATE``) as ``dest``: the video's packets copied, the
    audio encoded AAC in mp4 and Opus in webm."""
    import av

    codec = {"mp4": "aac", "webm": "libopus"}[fmt]
    with av.open(str(video)) as inp, av.open(str(dest), "w", format=fmt) as out:
        src = inp.streams.video[0]
        v = out.add_stream_from_template(src)
        a = out.add_stream(codec, rate=RATE)
        a.layout = "mono"
        a.codec_context.time_base = Fraction(1, RATE)
        for packet in inp.demux(src):
            if packet.dts is None:
                continue
            packet.stream = v
            out.mux(packet)
        size, pts = 960, 0  # 20 ms frames: Opus's own size
        fmt_name = "flt" if codec == "libopus" else "fltp"
        for i in range(0, len(samples), size):
            chunk = samples[i : i + size]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format=fmt_name, layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = RATE, pts, Fraction(1, RATE)
            pts += len(chunk)
            for packet in a.encode(frame):
                out.mux(packet)
        for packet in a.encode(None):
            out.mux(packet)
