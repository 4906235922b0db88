"""A local emulator of the EngageLab template, SMS and OTP APIs (SPEC §7)."""
