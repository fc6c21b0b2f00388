// Remembers the theme in a cookie so that the static pages (sign-in, account) render in it too.
window.eduloop = {
    setTheme: function (value) {
        document.cookie = "eduloop-theme=" + encodeURIComponent(value) + "; path=/; max-age=31536000; samesite=lax";
    }
};
