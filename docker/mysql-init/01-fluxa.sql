-- Run once by the mysql image on an empty data dir (docker/docker-compose.yml).
-- Same database, users and tables as the Docker-free stack (tests/stack/stack.sh).
CREATE DATABASE IF NOT EXISTS fluxa CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- what Debezium needs, nothing more
CREATE USER 'fluxa_cdc'@'%' IDENTIFIED BY 'fluxa-cdc-pw';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'fluxa_cdc'@'%';

-- for tests and the demo: create tables, change globals, create limited users
CREATE USER 'fluxa_admin'@'%' IDENTIFIED BY 'fluxa-admin-pw';
GRANT ALL PRIVILEGES ON *.* TO 'fluxa_admin'@'%' WITH GRANT OPTION;

CREATE TABLE IF NOT EXISTS fluxa.UserEntity (
  ID bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  Name varchar(100) NULL,
  Email varchar(200) NULL,
  Balance decimal(12,2) NULL,
  CreatedAt datetime(3) NULL,
  Meta json NULL,
  Avatar blob NULL
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS fluxa.OrderEntity (
  ID bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  UserID bigint unsigned NULL,
  Total decimal(10,2) NULL,
  Status varchar(20) NULL
) ENGINE=InnoDB;
