"use strict";
(function () {
  const slides = JSON.parse(document.getElementById("slides").textContent);
  const stage = document.getElementById("stage"), caption = document.getElementById("caption");
  const counter = document.getElementById("counter"), help = document.getElementById("help");
  const problem = document.getElementById("problem");
  const videos = new Map();
  let index = -1;

  function video(i) {
    let v = videos.get(i);
    if (!v) {
      v = document.createElement("video");
      v.muted = true;
      v.playsInline = true;
      v.preload = "auto";
      v.disablePictureInPicture = true;
      v.setAttribute("aria-label", slides[i].text || ("slide " + (i + 1)));
      v.addEventListener("error", function () {
        problem.textContent = "cannot play " + slides[i].clip + " (is it beside index.html?)";
      });
      v.src = slides[i].clip;
      stage.insertBefore(v, help);
      videos.set(i, v);
    }
    return v;
  }

  function release(i) {
    const v = videos.get(i);
    if (v) {
      v.pause();
      v.removeAttribute("src");
      v.load();
      v.remove();
      videos.delete(i);
    }
  }

  function play(v) {
    try { v.currentTime = 0; } catch (e) { /* not loaded yet: it starts at 0 anyway */ }
    const p = v.play();
    if (p && p.catch) p.catch(function () { /* autoplay refused: the first frame shows; a key press plays */ });
  }

  function show(i, replay) {
    i = Math.max(0, Math.min(slides.length - 1, i));
    if (i === index && !replay) return;
    const v = video(i);
    videos.forEach(function (other, j) {
      if (j !== i) { other.pause(); other.classList.remove("on"); }
    });
    v.classList.add("on");
    index = i;
    play(v);
    problem.textContent = "";
    caption.textContent = slides[i].text;
    counter.textContent = (i + 1) + " / " + slides.length;
    document.body.dataset.slide = String(i + 1);
    try { history.replaceState(null, "", "#" + (i + 1)); } catch (e) { /* some file:// setups refuse */ }
    if (i + 1 < slides.length) video(i + 1);  // load the next beat while this one plays
    videos.forEach(function (other, j) { if (Math.abs(j - i) > 2) release(j); });
  }

  function fullscreen() {
    const d = document;
    const p = d.fullscreenElement ? d.exitFullscreen() : d.documentElement.requestFullscreen();
    if (p && p.catch) p.catch(function () { /* not allowed here */ });
  }

  let helpTimer = setTimeout(hideHelp, 4000);
  function hideHelp() {
    clearTimeout(helpTimer);
    help.classList.add("hidden");
  }
  function toggleHelp() {
    clearTimeout(helpTimer);
    help.classList.toggle("hidden");
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const k = e.key;
    if (k === "ArrowRight" || k === " " || k === "Spacebar" || k === "PageDown" || k === "ArrowDown" ||
        k === "Enter") show(index + 1);
    else if (k === "ArrowLeft" || k === "PageUp" || k === "ArrowUp" || k === "Backspace") show(index - 1);
    else if (k === "Home") show(0);
    else if (k === "End") show(slides.length - 1);
    else if (k === "r" || k === "R") show(index, true);
    else if (k === "c" || k === "C") document.body.classList.toggle("nocaptions");
    else if (k === "f" || k === "F") fullscreen();
    else if (k === "?" || k === "h" || k === "H") { toggleHelp(); e.preventDefault(); return; }
    else return;
    e.preventDefault();
    hideHelp();  // the keys are known: out of the picture
  });
  document.addEventListener("click", function (e) {
    if (e.button === 0) { hideHelp(); show(index + 1); }
  });

  // for scripts and tests: where the deck is, in the whole video's time
  window.deck = {
    slides: slides,
    get index() { return index; },
    time: function () {
      const v = videos.get(index);
      return slides[index].start + (v ? Math.min(v.currentTime, slides[index].end - slides[index].start) : 0);
    },
  };

  function fromHash() {  // #12 opens slide 12: a bookmark, or where the last lesson stopped
    const asked = parseInt((location.hash || "").slice(1), 10);
    show(Number.isFinite(asked) ? asked - 1 : Math.max(index, 0));
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
