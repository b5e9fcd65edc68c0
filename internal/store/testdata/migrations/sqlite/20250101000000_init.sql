-- Create "facilities" table
CREATE TABLE `facilities` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL);
-- Create "queues" table
CREATE TABLE `queues` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `facility_id` integer NOT NULL, CONSTRAINT `queues_facilities_queues` FOREIGN KEY (`facility_id`) REFERENCES `facilities` (`id`) ON DELETE CASCADE);
