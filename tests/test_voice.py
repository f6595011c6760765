"""A voice for the explainer: espeak-ng or the teacher's recordings read each cue, each beat lasts as long as its
speech, the audio is in the mp4 (AAC) and the webm (Opus), and bad recordings are one line naming the cue.
Renders are tiny; the audio is checked with ffprobe and by decoding it (where speech starts, how long it lasts)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from helpers import needs_manim, parse_srt

import univ.rendering as render_mod
from univ import ConfigError, UnivError
from univ import voice as voice_mod

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
needs_sox = pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")
SMALL = {"resolution": (128, 72), "frame_rate": 4, "hold": 0.5}


def espeak(text: str, path, speed: int = 150):
    subprocess.run(["espeak-ng", "-s", str(speed), "-w", str(path), text], check=True, capture_output=True)
    return path


def probe(path) -> dict[str, dict]:
    """ffprobe's streams by kind ("video", "audio"), with codec and duration."""
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "stream=codec_type,codec_name,duration:format=duration",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    streams = {s["codec_type"]: s for s in data["streams"]}
    streams["format"] = data["format"]
    return streams


def audio_of(path) -> tuple[np.ndarray, int]:
    """The file's audio, mono float, and its rate (decoded with PyAV)."""
    import av

    with av.open(str(path)) as c:
        s = c.streams.audio[0]
        rate = s.codec_context.sample_rate
        chunks = [f.to_ndarray().mean(axis=0) if f.to_ndarray().ndim > 1 else f.to_ndarray() for f in c.decode(s)]
    return np.concatenate(chunks).astype(float), rate


def speech_onsets(samples: np.ndarray, rate: int, gap: float = 0.2) -> list[float]:
    """Times where sound starts after at least ``gap`` seconds of quiet (10 ms windows, -40 dBFS)."""
    win = rate // 100
    loud = np.abs(samples[: len(samples) // win * win]).reshape(-1, win).max(axis=1) > 0.01
    onsets, quiet = [], gap * 100
    for i, on in enumerate(loud):
        if on and quiet >= gap * 100:
            onsets.append(i / 100)
        quiet = 0 if on else quiet + 1
    return onsets


# -- the pieces -------------------------------------------------------------------------------------------------
def test_a_missing_or_doubled_recording_is_one_line_naming_the_cue(tmp_path):
    with pytest.raises(voice_mod.VoiceError, match=r"no recording for cue title-1-1"):
        voice_mod.recording(tmp_path, "title-1-1")
    (tmp_path / "title-1-1.wav").write_bytes(b"x")
    (tmp_path / "title-1-1.mp3").write_bytes(b"x")
    with pytest.raises(voice_mod.VoiceError, match="title-1-1 has 2 recordings"):
        voice_mod.recording(tmp_path, "title-1-1")


@needs_sox
def test_an_unreadable_or_silent_recording_is_refused_naming_the_cue(tmp_path):
    (tmp_path / "junk.wav").write_text("not audio at all")
    with pytest.raises(voice_mod.VoiceError, match="cue bump-2-1's recording junk.wav cannot be read"):
        voice_mod.read_audio(tmp_path / "junk.wav", "bump-2-1")
    subprocess.run(["sox", "-n", "-r", "16000", str(tmp_path / "quiet.wav"), "trim", "0", "2"], check=True)
    with pytest.raises(voice_mod.VoiceError, match="bump-2-1's recording quiet.wav is silent"):
        voice_mod.read_audio(tmp_path / "quiet.wav", "bump-2-1")
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(voice_mod.VoiceError):
        voice_mod.read_audio(tmp_path / "empty.wav", "x")
    assert issubclass(voice_mod.VoiceError, ConfigError)


@needs_espeak
def test_espeak_speaks_a_cue_and_the_track_puts_it_where_the_cue_starts(tmp_path):
    path, seconds = voice_mod.cue_audio("espeak", "step-1-1", "As the weight grows, the ramp becomes a step.", tmp_path)
    assert path == tmp_path / "voice" / "step-1-1.wav" and 1.5 < seconds < 6
    samples = voice_mod.track([(0.75, path), (seconds + 1.5, path)], 2 * seconds + 2)
    assert len(samples) == round((2 * seconds + 2) * voice_mod.RATE)
    onsets = speech_onsets(samples, voice_mod.RATE, gap=0.5)
    assert onsets[0] == pytest.approx(0.75, abs=0.15) and onsets[1] == pytest.approx(seconds + 1.5, abs=0.15)


def test_voice_is_checked_before_manim_starts(monkeypatch, tmp_path):
    monkeypatch.setattr(render_mod.subprocess, "Popen", lambda *a, **k: pytest.fail("manim was started"))
    for kwargs, message in (
        ({"format": "gif", "voice": "espeak"}, "gif has no audio"),
        ({"format": "png", "voice": "espeak"}, "png has no audio"),
        ({"voice": str(tmp_path / "nowhere")}, "is neither"),
        ({"voice": ""}, "voice must be"),
    ):
        with pytest.raises(UnivError, match=message) as info:
            render_mod.render_run("title", out_dir=tmp_path / "out", **kwargs)
        assert "\n" not in str(info.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cli_voice_with_a_gif_is_refused_in_one_line(cli, tmp_path):
    r = cli("render", "title", "--voice", "espeak", "--format", "gif", "--out", tmp_path)
    assert r.exit_code == 2 and "gif has no audio" in r.stderr and len(r.stderr.strip().splitlines()) == 1


# -- real renders ---------------------------------------------------------------------------------------------
def check_voiced(result, fmt: str):
    """Audio as long as the video (0.1 s), speech starting within 0.3 s of each cue, each cue as long as its speech."""
    streams = probe(result.video)
    assert streams["audio"]["codec_name"] == {"mp4": "aac", "webm": "opus"}[fmt]
    video_seconds = float(streams["format"]["duration"])
    samples, rate = audio_of(result.video)
    assert len(samples) / rate == pytest.approx(video_seconds, abs=0.1)
    cues = parse_srt(result.captions[0].read_text())
    onsets = speech_onsets(samples, rate)
    for start, _end, text in cues:
        near = [t for t in onsets if abs(t - start) <= 0.3]
        assert near, (text, start, onsets)
    return cues, samples, rate


@pytest.fixture(scope="module")
def espeak_title(tmp_path_factory):
    out = tmp_path_factory.mktemp("espeak")
    return {
        fmt: render_mod.render_run("title", out_dir=out, voice="espeak", format=fmt, **SMALL) for fmt in ("mp4", "webm")
    }


@pytest.mark.render
@needs_manim
@needs_espeak
@pytest.mark.parametrize("fmt", ["mp4", "webm"])
def test_espeak_reads_every_cue_in_the_mp4_and_the_webm(espeak_title, fmt):
    result = espeak_title[fmt]
    assert result.video.suffix == f".{fmt}" and "espeak" in result.video.name
    assert result.voice == "espeak" and result.as_dict()["voice"] == "espeak"
    cues, samples, rate = check_voiced(result, fmt)
    assert len(cues) >= 2
    assert float(np.abs(samples).max()) > 0.05  # it speaks


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    """The title's cue ids from a silent render's script, and a folder with a long recording for each."""
    base = tmp_path_factory.mktemp("recorded")
    silent = render_mod.render_run("title", out_dir=base / "silent", **SMALL)
    ids = re.findall(r"`(title-\d+-\d+)`", silent.narration.read_text())
    folder = base / "voice"
    folder.mkdir()
    for cue_id in ids:  # slow speech, a long sentence: each recording outlasts the cue's reading time
        espeak(
            f"This is the teacher reading cue {cue_id.replace('-', ' ')}, slowly and at length.",
            folder / f"{cue_id}.wav",
            110,
        )
    return silent, ids, folder


@pytest.mark.render
@needs_manim
@needs_espeak
def test_the_video_is_re_timed_to_the_teachers_recordings(recordings, tmp_path):
    silent, ids, folder = recordings
    assert ids == ["title-1-1", "title-2-1"]
    result = render_mod.render_run("title", out_dir=tmp_path, voice=str(folder), **SMALL)
    cues, _, _ = check_voiced(result, "mp4")
    lengths = [len(voice_mod.read_audio(folder / f"{i}.wav")) / voice_mod.RATE for i in ids]
    for (start, end, _), seconds in zip(cues, lengths):
        assert end - start >= seconds, (start, end, seconds)  # the beat waits for the words
    assert result.seconds > silent.seconds + 2


@pytest.mark.render
@needs_manim
@needs_sox
@pytest.mark.parametrize("damage", ["missing", "silent", "unreadable"])
def test_a_bad_recording_is_one_line_naming_the_cue_exit_2_and_nothing_written(cli, recordings, tmp_path, damage):
    _, ids, folder = recordings
    bad = tmp_path / "voice"
    shutil.copytree(folder, bad)
    target = bad / f"{ids[-1]}.wav"
    if damage == "missing":
        target.unlink()
    elif damage == "silent":
        subprocess.run(["sox", "-n", "-r", "22050", str(target), "trim", "0", "3"], check=True)
    else:
        target.write_bytes(b"RIFF nonsense")
    out = tmp_path / "out"
    r = cli("render", "title", "--voice", bad, "--resolution", "128", "72", "--fps", "4", "--out", out, "--quiet")
    assert r.exit_code == 2, r.output
    assert ids[-1] in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert not out.exists() or not list(out.iterdir())


@needs_sox
def test_a_bad_recording_is_found_before_manim_starts_and_others_are_left_alone(monkeypatch, tmp_path):
    subprocess.run(["sox", "-n", "-r", "16000", str(tmp_path / "title-2-1.wav"), "trim", "0", "1"], check=True)
    monkeypatch.setattr(render_mod.subprocess, "Popen", lambda *a, **k: pytest.fail("manim was started"))
    (tmp_path / "notes.wav").write_text("not a cue: never read")
    (tmp_path / "bump-1-1.wav").write_text("a cue of a scene not rendered: never read")
    with pytest.raises(voice_mod.VoiceError, match="cue title-2-1's recording title-2-1.wav is silent"):
        render_mod.render_run("title", out_dir=tmp_path / "out", voice=str(tmp_path), **SMALL)
    assert voice_mod.check_recordings(tmp_path, ["relu"]) == 0
