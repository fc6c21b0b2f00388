// Small helpers the Blazor components call.
window.eduloop = {
    // Calls EduLoop's own API as the signed-in user. The API takes a write on the sign-in cookie only
    // with the page's request token (a page of another site or port has none), so it is sent here.
    api: function (url, init) {
        init = Object.assign({ credentials: "same-origin" }, init || {});
        var headers = new Headers(init.headers || {});
        var token = document.querySelector('meta[name="eduloop-request-token"]');
        if (token) {
            headers.set("RequestVerificationToken", token.content);
        }
        init.headers = headers;
        return fetch(url, init);
    },
    // Remembers the theme in a cookie so that the static pages (sign-in, account) render in it too.
    setTheme: function (value) {
        document.cookie = "eduloop-theme=" + encodeURIComponent(value) + "; path=/; max-age=31536000; samesite=lax";
    },
    // Copies text to the clipboard; true when it worked. Plain http on a school's own server is no
    // secure context and has no navigator.clipboard, so a hidden text area and "copy" take its place there.
    copyText: async function (text) {
        if (navigator.clipboard && window.isSecureContext) {
            try {
                await navigator.clipboard.writeText(text);
                return true;
            } catch (e) {
                // Fall through to the older way (permission refused, page not focused).
            }
        }
        var area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        var focused = document.activeElement;
        document.body.appendChild(area);
        area.select();
        var copied = false;
        try {
            copied = document.execCommand("copy");
        } catch (e) {
            copied = false;
        }
        area.remove();
        if (focused && focused.focus) {
            focused.focus();
        }
        return copied;
    },
    // Marks the page once its circuit is connected, so that scripts (and browser tests) know
    // that buttons now respond.
    markInteractive: function () {
        document.body.dataset.interactive = "true";
    },
    // Typesets the math Markdig left as <span class="math">\(...\)</span> or <div class="math">\[...\]</div>.
    // KaTeX runs with trust off (no \href, \url, \htmlClass...) and with limits on sizes and macro
    // expansion, so a question's text cannot make it produce links, scripts or a runaway page.
    renderMath: function (root) {
        if (!window.katex || !root) {
            return;
        }
        root.querySelectorAll(".math:not([data-typeset])").forEach(function (element) {
            var tex = element.textContent.trim();
            var display = element.tagName === "DIV";
            if (tex.startsWith("\\(") && tex.endsWith("\\)")) {
                tex = tex.slice(2, -2);
            } else if (tex.startsWith("\\[") && tex.endsWith("\\]")) {
                tex = tex.slice(2, -2);
                display = true;
            }
            try {
                window.katex.render(tex, element, {
                    displayMode: display,
                    throwOnError: false,
                    trust: false,
                    strict: "ignore",
                    maxSize: 20,
                    maxExpand: 500
                });
                element.dataset.typeset = "true";
            } catch (e) {
                element.title = String(e && e.message || e);
            }
        });
    },
    // Ctrl+S saves and Ctrl+Enter saves and goes on, wherever the focus is in the editor.
    registerEditorShortcuts: function (target) {
        var handler = function (event) {
            if (!(event.ctrlKey || event.metaKey)) {
                return;
            }
            if (event.key === "s" || event.key === "S") {
                event.preventDefault();
                target.invokeMethodAsync("SaveFromKeyboard", false);
            } else if (event.key === "Enter") {
                event.preventDefault();
                target.invokeMethodAsync("SaveFromKeyboard", true);
            }
        };
        document.addEventListener("keydown", handler);
        return { dispose: function () { document.removeEventListener("keydown", handler); } };
    },
    // Moves the keyboard's focus to the element with this id: a heading (made focusable for this, not
    // for Tab) after a page of a quiz changes, or a button of a modal dialog. Inside a modal dialog Tab
    // and Shift+Tab then go round its own buttons only; the listener leaves with the dialog's markup.
    focusById: function (id) {
        var element = document.getElementById(id);
        if (!element) {
            return;
        }
        if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) {
            element.setAttribute("tabindex", "-1");
        }
        var dialog = element.closest("[aria-modal=true]");
        if (dialog && !dialog.dataset.focusTrap) {
            dialog.dataset.focusTrap = "true";
            dialog.addEventListener("keydown", function (event) {
                if (event.key !== "Tab") {
                    return;
                }
                var items = dialog.querySelectorAll("button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled])");
                if (items.length === 0) {
                    return;
                }
                var first = items[0];
                var last = items[items.length - 1];
                if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
                    event.preventDefault();
                    last.focus();
                } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
                    event.preventDefault();
                    first.focus();
                }
            });
        }
        element.focus();
    },
    // Shows the time left until the server's deadline, counted from the milliseconds the server gave
    // (so the browser's own clock does not matter), and presses the page's hidden "time is up"
    // button once when it reaches zero; it stops when its element leaves the page.
    countdown: function (element, remainingMs, lowSeconds) {
        var low = typeof lowSeconds === "number" ? lowSeconds : 60;
        var end = performance.now() + remainingMs;
        var told = false;
        var tick = function () {
            var left = Math.max(0, Math.round((end - performance.now()) / 1000));
            var hours = Math.floor(left / 3600);
            var minutes = Math.floor(left / 60) % 60;
            var seconds = left % 60;
            var two = function (n) { return (n < 10 ? "0" : "") + n; };
            if (element) {
                element.textContent = (hours > 0 ? hours + ":" + two(minutes) : two(minutes)) + ":" + two(seconds);
                element.classList.toggle("low", left <= low);
                element.setAttribute("aria-label", left + " s");
            }
            if (left === 0 && !told) {
                told = true;
                var button = document.getElementById("time-up");
                if (button) {
                    button.click();
                }
            }
            if (!element || !element.isConnected) {
                clearInterval(handle);
            }
        };
        var handle = setInterval(tick, 500);
        tick();
    }
};

// Math is typeset wherever it appears: one observer for the whole page, so components never call in
// for it (each call would cost every connected circuit its own serializer state on the server).
(function () {
    var pending = false;
    var typeset = function () {
        pending = false;
        window.eduloop.renderMath(document.body);
    };
    var start = function () {
        typeset();
        new MutationObserver(function () {
            if (!pending) {
                pending = true;
                window.requestAnimationFrame(typeset);
            }
        }).observe(document.body, { childList: true, subtree: true });
    };
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();

// A change to any field of a question reaches the server as one "answerinput" event with the values of
// all the question's fields (see AnswerInput): the fields themselves need no handler of their own.
if (window.Blazor && window.Blazor.registerCustomEventType) {
    window.Blazor.registerCustomEventType("answerinput", {
        browserEventName: "input",
        createEventArgs: function (event) {
            var target = event.target;
            var box = target && target.closest ? target.closest("[data-answer]") : null;
            if (!box) {
                return { key: -1, values: [], typing: false };
            }
            var fields = box.querySelectorAll("input, select, textarea");
            return {
                key: Number(box.dataset.answer),
                values: Array.prototype.map.call(fields, function (field) {
                    return field.type === "radio" || field.type === "checkbox" ? (field.checked ? field.value : null) : field.value;
                }),
                typing: target.tagName === "TEXTAREA" || target.type === "text"
            };
        }
    });
}
