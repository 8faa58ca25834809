// Parses iCalendar files with Mozilla's ical.js and prints, as one JSON object keyed by file
// path, what tests/test_feeds.py compares with the Python parsers: the calendar's name and, per
// event, UID, SUMMARY, DESCRIPTION, dates, SEQUENCE and CATEGORIES.
// Usage: node parse.mjs FILE.ics [FILE.ics …]
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

// ical.js has no design for RFC 7986 NAME nor for X-WR-* properties and leaves their values
// escaped; RFC 5545 §3.8.8.2 makes a non-standard property TEXT by default, so say so.
for (const name of ["name", "description", "x-wr-calname", "x-wr-caldesc", "x-wr-timezone"]) {
  ICAL.design.icalendar.property[name] ??= { defaultType: "text" };
}

function read(path) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const categories = vevent.getFirstProperty("categories");
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toString(),
      end: event.endDate.toString(),
      isDate: event.startDate.isDate && event.endDate.isDate,
      sequence: event.sequence,
      categories: categories ? categories.getValues() : [],
      alarms: vevent.getAllSubcomponents("valarm").length,
      rrule: vevent.getFirstPropertyValue("rrule")?.toString() ?? null,
    };
  });
  return {
    name: calendar.getFirstPropertyValue("x-wr-calname"),
    name7986: calendar.getFirstPropertyValue("name"),
    method: calendar.getFirstPropertyValue("method"),
    refresh: String(calendar.getFirstPropertyValue("refresh-interval")),
    events,
  };
}

const out = {};
for (const path of process.argv.slice(2)) out[path] = read(path);
process.stdout.write(JSON.stringify(out));
