// Counts timers the page has pending, so tests can prove none are left running.
window.pendingTimers = new Set();
const realSetTimeout = window.setTimeout.bind(window);
const realClearTimeout = window.clearTimeout.bind(window);
window.setTimeout = (fn, ms, ...args) => {
  const id = realSetTimeout(() => {
    window.pendingTimers.delete(id);
    typeof fn === 'function' ? fn(...args) : 0;
  }, ms);
  window.pendingTimers.add(id);
  return id;
};
window.clearTimeout = (id) => {
  window.pendingTimers.delete(id);
  realClearTimeout(id);
};
