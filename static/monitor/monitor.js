// Keeps the dashboard's URLs short enough to read and share: htmx requests drop empty filter fields,
// so a live-filtered list's address holds only the filters in force, like a submitted form would after cleanup.
document.addEventListener("htmx:configRequest", (event) => {
  const params = event.detail.parameters;
  const keys = typeof params.keys === "function" ? Array.from(params.keys()) : Object.keys(params);
  for (const key of new Set(keys)) {
    const values = typeof params.getAll === "function" ? params.getAll(key) : [].concat(params[key]);
    if (values.every((value) => value === "")) {
      delete params[key];
      if (typeof params.delete === "function") params.delete(key);
    }
  }
});
