-- Placeholder for the issuer's migration 0002 (removed when it lands on main).
SELECT 1;
