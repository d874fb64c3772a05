// Integration and end-to-end suites (jest.config.js): see there why 60 s. A suite's own
// jest.setTimeout still wins.
jest.setTimeout(60_000);
