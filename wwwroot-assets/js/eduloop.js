// Small helpers the Blazor components call.
window.eduloop = {
    // Remembers the theme in a cookie so that the static pages (sign-in, account) render in it too.
    setTheme: function (value) {
        document.cookie = "eduloop-theme=" + encodeURIComponent(value) + "; path=/; max-age=31536000; samesite=lax";
    },
    // Marks the page once its circuit is connected, so that scripts (and browser tests) know
    // that buttons now respond.
    markInteractive: function () {
        document.body.dataset.interactive = "true";
    }
};
