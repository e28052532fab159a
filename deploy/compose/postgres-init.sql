-- One database per service (run once, by the postgres image, on an empty volume).
CREATE DATABASE members;
CREATE DATABASE claims;
CREATE DATABASE relief;
CREATE DATABASE outreach;
CREATE DATABASE console;
