// TruthGraph web UI: small progressive enhancements. Every page works without this
// file; it adds a busy state to long forms, live batch progress, drag and drop for
// uploads and a confirmation before deleting.
"use strict";

function busyForms() {
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var status = form.querySelector(".busy");
      if (button) { button.disabled = true; }
      if (status) { status.textContent = form.getAttribute("data-busy"); }
      form.setAttribute("aria-busy", "true");
    });
  });
}

function confirmForms() {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
}

function listChosen(input, list) {
  list.textContent = "";
  Array.prototype.forEach.call(input.files || [], function (file) {
    var item = document.createElement("li");
    item.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)";
    list.appendChild(item);
  });
}

function dropzones() {
  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector("[data-chosen]");
    if (!input) { return; }
    input.addEventListener("change", function () { if (list) { listChosen(input, list); } });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        if (list) { listChosen(input, list); }
      }
    });
  });
}

function batchProgress() {
  var box = document.querySelector("[data-events]");
  if (!box || !window.EventSource) { return; }
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var source = new EventSource(box.getAttribute("data-events"));
  source.addEventListener("progress", function (event) {
    var job = JSON.parse(event.data);
    bar.max = job.total;
    bar.value = job.completed;
    bar.textContent = job.completed + " of " + job.total;
    status.textContent = job.status + " · " + job.completed + " of " + job.total + " claims";
    status.setAttribute("data-status", job.status);
  });
  source.addEventListener("end", function () {
    source.close();
    window.location.reload();
  });
}

document.addEventListener("DOMContentLoaded", function () {
  busyForms();
  confirmForms();
  dropzones();
  batchProgress();
});
