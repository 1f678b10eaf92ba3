// Loaded in <head>, before the first paint: tells the stylesheet that scripts run, so the phone menu is drawn
// folded behind its button. Without JavaScript the class stays and the menu is shown open (portal.css).
document.documentElement.classList.replace("no-js", "js");
