-- The CREATE TABLE statements of TorrentPier v2.4.13, install/sql/mysql.sql (MIT licence),
-- verbatim; the fixture dumps are written after them (tests/importers/torrentpier_fixture.py).

CREATE TABLE IF NOT EXISTS `bb_attachments`
(
  `attach_id` MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `post_id`   MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `user_id_1` MEDIUMINT(8)          NOT NULL DEFAULT '0',
  PRIMARY KEY (`attach_id`, `post_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_attachments_config`
(
  `config_name`  VARCHAR(155) NOT NULL DEFAULT '',
  `config_value` VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (`config_name`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_attachments_desc`
(
  `attach_id`         MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `physical_filename` VARCHAR(255)          NOT NULL DEFAULT '',
  `real_filename`     VARCHAR(255)          NOT NULL DEFAULT '',
  `download_count`    MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `comment`           VARCHAR(255)          NOT NULL DEFAULT '',
  `extension`         VARCHAR(100)          NOT NULL DEFAULT '',
  `mimetype`          VARCHAR(100)          NOT NULL DEFAULT '',
  `filesize`          INT(20)               NOT NULL DEFAULT '0',
  `filetime`          INT(11)               NOT NULL DEFAULT '0',
  `thumbnail`         TINYINT(1)            NOT NULL DEFAULT '0',
  `tracker_status`    TINYINT(1)            NOT NULL DEFAULT '0',
  PRIMARY KEY (`attach_id`),
  KEY `filetime` (`filetime`),
  KEY `filesize` (`filesize`),
  KEY `physical_filename` (`physical_filename`(10))
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_attach_quota`
(
  `user_id`        MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `group_id`       MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `quota_type`     SMALLINT(2)           NOT NULL DEFAULT '0',
  `quota_limit_id` MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  KEY `quota_type` (`quota_type`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_auth_access`
(
  `group_id`   MEDIUMINT(8)         NOT NULL DEFAULT '0',
  `forum_id`   SMALLINT(5) UNSIGNED NOT NULL DEFAULT '0',
  `forum_perm` INT(11)              NOT NULL DEFAULT '0',
  PRIMARY KEY (`group_id`, `forum_id`),
  KEY `forum_id` (`forum_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_auth_access_snap`
(
  `user_id`    MEDIUMINT(9) NOT NULL DEFAULT '0',
  `forum_id`   SMALLINT(6)  NOT NULL DEFAULT '0',
  `forum_perm` INT(11)      NOT NULL DEFAULT '0',
  PRIMARY KEY (`user_id`, `forum_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_banlist`
(
  `ban_id`     MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `ban_userid` MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `ban_reason` VARCHAR(255)          NOT NULL DEFAULT '',
  PRIMARY KEY (`ban_id`, `ban_userid`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_dlstatus`
(
  `user_id`                MEDIUMINT(9)          NOT NULL DEFAULT '0',
  `topic_id`               MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `user_status`            TINYINT(1)            NOT NULL DEFAULT '0',
  `last_modified_dlstatus` TIMESTAMP             NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`user_id`, `topic_id`),
  KEY `topic_id` (`topic_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_dlstatus_snap`
(
  `topic_id`    MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `dl_status`   TINYINT(4)            NOT NULL DEFAULT '0',
  `users_count` SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  KEY `topic_id` (`topic_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_last_torstat`
(
  `topic_id`    MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `user_id`     MEDIUMINT(9)          NOT NULL DEFAULT '0',
  `dl_status`   TINYINT(1)            NOT NULL DEFAULT '0',
  `up_add`      BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `down_add`    BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `release_add` BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `bonus_add`   BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `speed_up`    BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `speed_down`  BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`, `user_id`) USING BTREE
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_last_userstat`
(
  `user_id`     MEDIUMINT(9)        NOT NULL DEFAULT '0',
  `up_add`      BIGINT(20) UNSIGNED NOT NULL DEFAULT '0',
  `down_add`    BIGINT(20) UNSIGNED NOT NULL DEFAULT '0',
  `release_add` BIGINT(20) UNSIGNED NOT NULL DEFAULT '0',
  `bonus_add`   BIGINT(20) UNSIGNED NOT NULL DEFAULT '0',
  `speed_up`    BIGINT(20) UNSIGNED NOT NULL DEFAULT '0',
  `speed_down`  BIGINT(20) UNSIGNED NOT NULL DEFAULT '0',
  PRIMARY KEY (`user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_torhelp`
(
  `user_id`      MEDIUMINT(9) NOT NULL DEFAULT '0',
  `topic_id_csv` TEXT         NOT NULL,
  PRIMARY KEY (`user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_torrents`
(
  `info_hash`        VARBINARY(20)         NOT NULL DEFAULT '',
  `info_hash_v2`     VARBINARY(32)         NOT NULL DEFAULT '',
  `post_id`          MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `poster_id`        MEDIUMINT(9)          NOT NULL DEFAULT '0',
  `topic_id`         MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `forum_id`         SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `attach_id`        MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `size`             BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `reg_time`         INT(11)               NOT NULL DEFAULT '0',
  `call_seed_time`   INT(11)               NOT NULL DEFAULT '0',
  `complete_count`   MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `seeder_last_seen` INT(11)               NOT NULL DEFAULT '0',
  `tor_status`       TINYINT(4)            NOT NULL DEFAULT '0',
  `checked_user_id`  MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `checked_time`     INT(11)               NOT NULL DEFAULT '0',
  `tor_type`         TINYINT(1)            NOT NULL DEFAULT '0',
  `speed_up`         INT(11)               NOT NULL DEFAULT '0',
  `speed_down`       INT(11)               NOT NULL DEFAULT '0',
  `last_seeder_id`   MEDIUMINT(8)          NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`),
  UNIQUE KEY `post_id` (`post_id`),
  UNIQUE KEY `topic_id` (`topic_id`),
  UNIQUE KEY `attach_id` (`attach_id`),
  KEY `reg_time` (`reg_time`),
  KEY `forum_id` (`forum_id`),
  KEY `poster_id` (`poster_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_torstat`
(
  `topic_id`              MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `user_id`               MEDIUMINT(9)          NOT NULL DEFAULT '0',
  `last_modified_torstat` TIMESTAMP             NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `completed`             TINYINT(1)            NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`, `user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_tor_dl_stat`
(
  `topic_id`      MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `user_id`       MEDIUMINT(9)          NOT NULL DEFAULT '0',
  `attach_id`     MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `t_up_total`    BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `t_down_total`  BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `t_bonus_total` BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`, `user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_tracker`
(
  `peer_hash`        VARCHAR(32)
                       CHARACTER SET utf8
                         COLLATE utf8_bin  NOT NULL DEFAULT '',
  `topic_id`         MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `peer_id`          VARCHAR(20)           NOT NULL DEFAULT '0',
  `user_id`          MEDIUMINT(9)          NOT NULL DEFAULT '0',
  `ip`               VARCHAR(42)                    DEFAULT NULL,
  `ipv6`             VARCHAR(42)                    DEFAULT NULL,
  `port`             SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `seeder`           TINYINT(1)            NOT NULL DEFAULT '0',
  `releaser`         TINYINT(1)            NOT NULL DEFAULT '0',
  `tor_type`         TINYINT(1)            NOT NULL DEFAULT '0',
  `uploaded`         BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `downloaded`       BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `remain`           BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `speed_up`         INT(11) UNSIGNED      NOT NULL DEFAULT '0',
  `speed_down`       INT(11) UNSIGNED      NOT NULL DEFAULT '0',
  `up_add`           BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `down_add`         BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `update_time`      INT(11)               NOT NULL DEFAULT '0',
  `complete_percent` BIGINT(20)            NOT NULL DEFAULT '0',
  `complete`         TINYINT(1)            NOT NULL DEFAULT '0',
  PRIMARY KEY (`peer_hash`),
  KEY `topic_id` (`topic_id`),
  KEY `user_id` (`user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_tracker_snap`
(
  `topic_id`   MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `seeders`    MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `leechers`   MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `speed_up`   INT(11) UNSIGNED      NOT NULL DEFAULT '0',
  `speed_down` INT(11) UNSIGNED      NOT NULL DEFAULT '0',
  `completed`  INT(10)               NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_users`
(
  `user_id`              MEDIUMINT(9)          NOT NULL DEFAULT '0',
  `auth_key`             CHAR(20)
                           CHARACTER SET utf8
                             COLLATE utf8_bin  NOT NULL DEFAULT '',
  `u_up_total`           BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `u_down_total`         BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `u_up_release`         BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `u_up_bonus`           BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `up_today`             BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `down_today`           BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `up_release_today`     BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `up_bonus_today`       BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `points_today`         FLOAT(16, 2) UNSIGNED NOT NULL DEFAULT '0.00',
  `up_yesterday`         BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `down_yesterday`       BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `up_release_yesterday` BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `up_bonus_yesterday`   BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  `points_yesterday`     FLOAT(16, 2) UNSIGNED NOT NULL DEFAULT '0.00',
  `ratio_nulled`         tinyint(1)            NOT NULL DEFAULT '0',
  PRIMARY KEY (`user_id`),
  UNIQUE KEY `auth_key` (`auth_key`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_bt_user_settings`
(
  `user_id`        MEDIUMINT(9) NOT NULL DEFAULT '0',
  `tor_search_set` TEXT         NOT NULL,
  `last_modified`  INT(11)      NOT NULL DEFAULT '0',
  PRIMARY KEY (`user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_categories`
(
  `cat_id`    SMALLINT(5) UNSIGNED NOT NULL AUTO_INCREMENT,
  `cat_title` VARCHAR(100)         NOT NULL DEFAULT '',
  `cat_order` SMALLINT(5) UNSIGNED NOT NULL DEFAULT '0',
  PRIMARY KEY (`cat_id`),
  KEY `cat_order` (`cat_order`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_config`
(
  `config_name`  VARCHAR(155) NOT NULL DEFAULT '',
  `config_value` TEXT         NOT NULL,
  PRIMARY KEY (`config_name`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_cron`
(
  `cron_id`         SMALLINT(5) UNSIGNED                                      NOT NULL AUTO_INCREMENT,
  `cron_active`     TINYINT(4)                                                NOT NULL                                                                                                   DEFAULT '1',
  `cron_title`      CHAR(120)                                                 NOT NULL                                                                                                   DEFAULT '',
  `cron_script`     CHAR(120)                                                 NOT NULL                                                                                                   DEFAULT '',
  `schedule`        ENUM ('hourly', 'daily', 'weekly', 'monthly', 'interval') NOT NULL                                                                                                   DEFAULT 'daily',
  `run_day`         ENUM ('1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26', '27', '28') DEFAULT NULL,
  `run_time`        TIME                                                                                                                                                                 DEFAULT '04:00:00',
  `run_order`       TINYINT(4) UNSIGNED                                       NOT NULL                                                                                                   DEFAULT '0',
  `last_run`        DATETIME                                                  NOT NULL                                                                                                   DEFAULT '1900-01-01 00:00:00',
  `next_run`        DATETIME                                                  NOT NULL                                                                                                   DEFAULT '1900-01-01 00:00:00',
  `run_interval`    TIME                                                                                                                                                                 DEFAULT NULL DEFAULT '0',
  `log_enabled`     TINYINT(1)                                                NOT NULL                                                                                                   DEFAULT '0',
  `log_file`        CHAR(120)                                                 NOT NULL                                                                                                   DEFAULT '',
  `log_sql_queries` TINYINT(4)                                                NOT NULL                                                                                                   DEFAULT '0',
  `disable_board`   TINYINT(1)                                                NOT NULL                                                                                                   DEFAULT '0',
  `run_counter`     BIGINT(20) UNSIGNED                                       NOT NULL                                                                                                   DEFAULT '0',
  PRIMARY KEY (`cron_id`),
  UNIQUE KEY `title` (`cron_title`),
  UNIQUE KEY `script` (`cron_script`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_disallow`
(
  `disallow_id`       MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `disallow_username` VARCHAR(25)           NOT NULL DEFAULT '',
  PRIMARY KEY (`disallow_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_extensions`
(
  `ext_id`    MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `group_id`  MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `extension` VARCHAR(100)          NOT NULL DEFAULT '',
  `comment`   VARCHAR(100)          NOT NULL DEFAULT '',
  PRIMARY KEY (`ext_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_extension_groups`
(
  `group_id`          MEDIUMINT(8)        NOT NULL AUTO_INCREMENT,
  `group_name`        VARCHAR(20)         NOT NULL DEFAULT '',
  `cat_id`            TINYINT(2)          NOT NULL DEFAULT '0',
  `allow_group`       TINYINT(1)          NOT NULL DEFAULT '0',
  `download_mode`     TINYINT(1) UNSIGNED NOT NULL DEFAULT '1',
  `upload_icon`       VARCHAR(100)        NOT NULL DEFAULT '',
  `max_filesize`      INT(20)             NOT NULL DEFAULT '0',
  `forum_permissions` TEXT                NOT NULL,
  PRIMARY KEY (`group_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_forums`
(
  `forum_id`            SMALLINT(5) UNSIGNED  NOT NULL AUTO_INCREMENT,
  `cat_id`              SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `forum_name`          VARCHAR(150)          NOT NULL DEFAULT '',
  `forum_desc`          TEXT                  NOT NULL,
  `forum_status`        TINYINT(4)            NOT NULL DEFAULT '0',
  `forum_order`         SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '1',
  `forum_posts`         MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `forum_topics`        MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `forum_last_post_id`  MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `forum_tpl_id`        SMALLINT(6)           NOT NULL DEFAULT '0',
  `prune_days`          SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `auth_view`           TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_read`           TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_post`           TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_reply`          TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_edit`           TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_delete`         TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_sticky`         TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_announce`       TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_vote`           TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_pollcreate`     TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_attachments`    TINYINT(2)            NOT NULL DEFAULT '0',
  `auth_download`       TINYINT(2)            NOT NULL DEFAULT '0',
  `allow_reg_tracker`   TINYINT(1)            NOT NULL DEFAULT '0',
  `allow_porno_topic`   TINYINT(1)            NOT NULL DEFAULT '0',
  `self_moderated`      TINYINT(1)            NOT NULL DEFAULT '0',
  `forum_parent`        SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `show_on_index`       TINYINT(1)            NOT NULL DEFAULT '1',
  `forum_display_sort`  TINYINT(1)            NOT NULL DEFAULT '0',
  `forum_display_order` TINYINT(1)            NOT NULL DEFAULT '0',
  PRIMARY KEY (`forum_id`),
  KEY `forums_order` (`forum_order`),
  KEY `cat_id` (`cat_id`),
  KEY `forum_last_post_id` (`forum_last_post_id`),
  KEY `forum_parent` (`forum_parent`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_groups`
(
  `group_id`          MEDIUMINT(8) NOT NULL AUTO_INCREMENT,
  `avatar_ext_id`     INT(15)      NOT NULL DEFAULT '0',
  `group_time`        INT(11)      NOT NULL DEFAULT '0',
  `mod_time`          INT(11)      NOT NULL DEFAULT '0',
  `group_type`        TINYINT(4)   NOT NULL DEFAULT '1',
  `release_group`     TINYINT(4)   NOT NULL DEFAULT '0',
  `group_name`        VARCHAR(40)  NOT NULL DEFAULT '',
  `group_description` TEXT         NOT NULL DEFAULT '',
  `group_signature`   TEXT         NOT NULL DEFAULT '',
  `group_moderator`   MEDIUMINT(8) NOT NULL DEFAULT '0',
  `group_single_user` TINYINT(1)   NOT NULL DEFAULT '1',
  PRIMARY KEY (`group_id`),
  KEY `group_single_user` (`group_single_user`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_log`
(
  `log_type_id`         MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `log_user_id`         MEDIUMINT(9)          NOT NULL DEFAULT '0',
  `log_user_ip`         VARCHAR(42)           NOT NULL DEFAULT '0',
  `log_forum_id`        SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `log_forum_id_new`    SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `log_topic_id`        MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `log_topic_id_new`    MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `log_topic_title`     VARCHAR(250)          NOT NULL DEFAULT '',
  `log_topic_title_new` VARCHAR(250)          NOT NULL DEFAULT '',
  `log_time`            INT(11)               NOT NULL DEFAULT '0',
  `log_msg`             TEXT                  NOT NULL,
  KEY `log_time` (`log_time`),
  FULLTEXT KEY `log_topic_title` (`log_topic_title`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_poll_users`
(
  `topic_id` INT(10) UNSIGNED NOT NULL,
  `user_id`  MEDIUMINT(8)     NOT NULL,
  `vote_ip`  VARCHAR(42)      NOT NULL DEFAULT '0',
  `vote_dt`  INT(11)          NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`, `user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_poll_votes`
(
  `topic_id`    INT(10) UNSIGNED      NOT NULL,
  `vote_id`     TINYINT(4) UNSIGNED   NOT NULL,
  `vote_text`   VARCHAR(255)          NOT NULL,
  `vote_result` MEDIUMINT(8) UNSIGNED NOT NULL,
  PRIMARY KEY (`topic_id`, `vote_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_posts`
(
  `post_id`         MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `topic_id`        MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `forum_id`        SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `poster_id`       MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `post_time`       INT(11)               NOT NULL DEFAULT '0',
  `poster_ip`       VARCHAR(42)           NOT NULL DEFAULT '0',
  `poster_rg_id`    MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `attach_rg_sig`   TINYINT(4)            NOT NULL DEFAULT '0',
  `post_username`   VARCHAR(25)           NOT NULL DEFAULT '',
  `post_edit_time`  INT(11)               NOT NULL DEFAULT '0',
  `post_edit_count` SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `post_attachment` TINYINT(1)            NOT NULL DEFAULT '0',
  `user_post`       TINYINT(1)            NOT NULL DEFAULT '1',
  `mc_comment`      TEXT                  NOT NULL DEFAULT '',
  `mc_type`         TINYINT(1)            NOT NULL DEFAULT '0',
  `mc_user_id`      MEDIUMINT(8)          NOT NULL DEFAULT '0',
  PRIMARY KEY (`post_id`),
  KEY `topic_id` (`topic_id`),
  KEY `poster_id` (`poster_id`),
  KEY `post_time` (`post_time`),
  KEY `forum_id_post_time` (`forum_id`, `post_time`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_posts_html`
(
  `post_id`        MEDIUMINT(9) NOT NULL DEFAULT '0',
  `post_html_time` TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `post_html`      MEDIUMTEXT   NOT NULL DEFAULT '',
  PRIMARY KEY (`post_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_posts_search`
(
  `post_id`      MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `search_words` TEXT                  NOT NULL,
  PRIMARY KEY (`post_id`),
  FULLTEXT KEY `search_words` (`search_words`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_posts_text`
(
  `post_id`   MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `post_text` MEDIUMTEXT            NOT NULL,
  PRIMARY KEY (`post_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_privmsgs`
(
  `privmsgs_id`          MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `privmsgs_type`        TINYINT(4)            NOT NULL DEFAULT '0',
  `privmsgs_subject`     VARCHAR(255)          NOT NULL DEFAULT '',
  `privmsgs_from_userid` MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `privmsgs_to_userid`   MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `privmsgs_date`        INT(11)               NOT NULL DEFAULT '0',
  `privmsgs_ip`          VARCHAR(42)           NOT NULL DEFAULT '0',
  PRIMARY KEY (`privmsgs_id`),
  KEY `privmsgs_from_userid` (`privmsgs_from_userid`),
  KEY `privmsgs_to_userid` (`privmsgs_to_userid`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_privmsgs_text`
(
  `privmsgs_text_id` MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `privmsgs_text`    MEDIUMTEXT            NOT NULL,
  PRIMARY KEY (`privmsgs_text_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_quota_limits`
(
  `quota_limit_id` MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `quota_desc`     VARCHAR(20)           NOT NULL DEFAULT '',
  `quota_limit`    BIGINT(20) UNSIGNED   NOT NULL DEFAULT '0',
  PRIMARY KEY (`quota_limit_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_ranks`
(
  `rank_id`    SMALLINT(5) UNSIGNED NOT NULL AUTO_INCREMENT,
  `rank_title` VARCHAR(50)          NOT NULL DEFAULT '',
  `rank_image` VARCHAR(255)         NOT NULL DEFAULT '',
  `rank_style` VARCHAR(255)         NOT NULL DEFAULT '',
  PRIMARY KEY (`rank_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_search_rebuild`
(
  `rebuild_session_id`     MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `start_post_id`          MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `end_post_id`            MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `start_time`             INT(11)               NOT NULL DEFAULT '0',
  `end_time`               INT(11)               NOT NULL DEFAULT '0',
  `last_cycle_time`        INT(11)               NOT NULL DEFAULT '0',
  `session_time`           INT(11)               NOT NULL DEFAULT '0',
  `session_posts`          MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `session_cycles`         MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `search_size`            INT(10) UNSIGNED      NOT NULL DEFAULT '0',
  `rebuild_session_status` TINYINT(1)            NOT NULL DEFAULT '0',
  PRIMARY KEY (`rebuild_session_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_search_results`
(
  `session_id`      CHAR(255)
                      CHARACTER SET utf8
                        COLLATE utf8_bin NOT NULL DEFAULT '',
  `search_type`     TINYINT(4)           NOT NULL DEFAULT '0',
  `search_id`       VARCHAR(255)
                      CHARACTER SET utf8
                        COLLATE utf8_bin NOT NULL DEFAULT '',
  `search_time`     INT(11)              NOT NULL DEFAULT '0',
  `search_settings` TEXT                 NOT NULL,
  `search_array`    TEXT                 NOT NULL,
  PRIMARY KEY (`session_id`, `search_type`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_sessions`
(
  `session_id`        CHAR(255)
                        CHARACTER SET utf8
                          COLLATE utf8_bin NOT NULL DEFAULT '',
  `session_user_id`   MEDIUMINT(8)         NOT NULL DEFAULT '0',
  `session_start`     INT(11)              NOT NULL DEFAULT '0',
  `session_time`      INT(11)              NOT NULL DEFAULT '0',
  `session_ip`        VARCHAR(42)          NOT NULL DEFAULT '0',
  `session_logged_in` TINYINT(1)           NOT NULL DEFAULT '0',
  `session_admin`     TINYINT(2)           NOT NULL DEFAULT '0',
  PRIMARY KEY (`session_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_smilies`
(
  `smilies_id` SMALLINT(5) UNSIGNED NOT NULL AUTO_INCREMENT,
  `code`       VARCHAR(50)          NOT NULL DEFAULT '',
  `smile_url`  VARCHAR(100)         NOT NULL DEFAULT '',
  `emoticon`   VARCHAR(75)          NOT NULL DEFAULT '',
  PRIMARY KEY (`smilies_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_topics`
(
  `topic_id`              MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `forum_id`              SMALLINT(8) UNSIGNED  NOT NULL DEFAULT '0',
  `topic_title`           VARCHAR(250)          NOT NULL DEFAULT '',
  `topic_poster`          MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `topic_time`            INT(11)               NOT NULL DEFAULT '0',
  `topic_views`           MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `topic_replies`         MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `topic_status`          TINYINT(3)            NOT NULL DEFAULT '0',
  `topic_vote`            TINYINT(1)            NOT NULL DEFAULT '0',
  `topic_type`            TINYINT(3)            NOT NULL DEFAULT '0',
  `topic_first_post_id`   MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `topic_last_post_id`    MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `topic_moved_id`        MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `topic_attachment`      TINYINT(1)            NOT NULL DEFAULT '0',
  `topic_dl_type`         TINYINT(1)            NOT NULL DEFAULT '0',
  `topic_last_post_time`  INT(11)               NOT NULL DEFAULT '0',
  `topic_show_first_post` TINYINT(1) UNSIGNED   NOT NULL DEFAULT '0',
  `topic_allow_robots`    TINYINT(1) UNSIGNED   NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`),
  KEY `forum_id` (`forum_id`),
  KEY `topic_last_post_id` (`topic_last_post_id`),
  KEY `topic_last_post_time` (`topic_last_post_time`),
  FULLTEXT KEY `topic_title` (`topic_title`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_topics_watch`
(
  `topic_id`      MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `user_id`       MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `notify_status` TINYINT(1)            NOT NULL DEFAULT '0',
  KEY `topic_id` (`topic_id`),
  KEY `user_id` (`user_id`),
  KEY `notify_status` (`notify_status`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_topic_tpl`
(
  `tpl_id`            SMALLINT(6)      NOT NULL AUTO_INCREMENT,
  `tpl_name`          VARCHAR(60)      NOT NULL DEFAULT '',
  `tpl_src_form`      TEXT             NOT NULL,
  `tpl_src_title`     TEXT             NOT NULL,
  `tpl_src_msg`       TEXT             NOT NULL,
  `tpl_comment`       TEXT             NOT NULL,
  `tpl_rules_post_id` INT(10) UNSIGNED NOT NULL DEFAULT '0',
  `tpl_last_edit_tm`  INT(11)          NOT NULL DEFAULT '0',
  `tpl_last_edit_by`  INT(11)          NOT NULL DEFAULT '0',
  PRIMARY KEY (`tpl_id`),
  UNIQUE KEY `tpl_name` (`tpl_name`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_users`
(
  `user_id`             MEDIUMINT(8)          NOT NULL AUTO_INCREMENT,
  `user_active`         TINYINT(1)            NOT NULL DEFAULT '1',
  `username`            VARCHAR(255)          NOT NULL DEFAULT '',
  `user_password`       VARCHAR(255)
                          CHARACTER SET utf8
                            COLLATE utf8_bin  NOT NULL DEFAULT '',
  `user_session_time`   INT(11)               NOT NULL DEFAULT '0',
  `user_lastvisit`      INT(11)               NOT NULL DEFAULT '0',
  `user_last_ip`        VARCHAR(42)           NOT NULL DEFAULT '0',
  `user_regdate`        INT(11)               NOT NULL DEFAULT '0',
  `user_reg_ip`         VARCHAR(42)           NOT NULL DEFAULT '0',
  `user_level`          TINYINT(4)            NOT NULL DEFAULT '0',
  `user_posts`          MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `user_timezone`       DECIMAL(5, 2)         NOT NULL DEFAULT '0.00',
  `user_lang`           VARCHAR(255)          NOT NULL DEFAULT 'en',
  `user_new_privmsg`    SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `user_unread_privmsg` SMALLINT(5) UNSIGNED  NOT NULL DEFAULT '0',
  `user_last_privmsg`   INT(11)               NOT NULL DEFAULT '0',
  `user_opt`            INT(11)               NOT NULL DEFAULT '0',
  `user_rank`           INT(11)               NOT NULL DEFAULT '0',
  `avatar_ext_id`       TINYINT(4)            NOT NULL DEFAULT '0',
  `user_gender`         TINYINT(1)            NOT NULL DEFAULT '0',
  `user_birthday`       DATE                  NOT NULL DEFAULT '1900-01-01',
  `user_email`          VARCHAR(255)          NOT NULL DEFAULT '',
  `user_skype`          VARCHAR(32)           NOT NULL DEFAULT '',
  `user_twitter`        VARCHAR(15)           NOT NULL DEFAULT '',
  `user_icq`            VARCHAR(15)           NOT NULL DEFAULT '',
  `user_website`        VARCHAR(100)          NOT NULL DEFAULT '',
  `user_from`           VARCHAR(100)          NOT NULL DEFAULT '',
  `user_sig`            TEXT                  NOT NULL DEFAULT '',
  `user_occ`            VARCHAR(100)          NOT NULL DEFAULT '',
  `user_interests`      VARCHAR(255)          NOT NULL DEFAULT '',
  `user_actkey`         VARCHAR(255)          NOT NULL DEFAULT '',
  `user_newpasswd`      VARCHAR(255)          NOT NULL DEFAULT '',
  `autologin_id`        VARCHAR(255)
                          CHARACTER SET utf8
                            COLLATE utf8_bin  NOT NULL DEFAULT '',
  `user_newest_pm_id`   MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `user_points`         FLOAT(16, 2)          NOT NULL DEFAULT '0.00',
  `tpl_name`            VARCHAR(255)          NOT NULL DEFAULT 'default',
  PRIMARY KEY (`user_id`),
  KEY `username` (`username`(10)),
  KEY `user_email` (`user_email`(10)),
  KEY `user_level` (`user_level`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_user_group`
(
  `group_id`     MEDIUMINT(8) NOT NULL DEFAULT '0',
  `user_id`      MEDIUMINT(8) NOT NULL DEFAULT '0',
  `user_pending` TINYINT(1)   NOT NULL DEFAULT '0',
  `user_time`    INT(11)      NOT NULL DEFAULT '0',
  PRIMARY KEY (`group_id`, `user_id`),
  KEY `user_id` (`user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_words`
(
  `word_id`     MEDIUMINT(8) UNSIGNED NOT NULL AUTO_INCREMENT,
  `word`        CHAR(100)             NOT NULL DEFAULT '',
  `replacement` CHAR(100)             NOT NULL DEFAULT '',
  PRIMARY KEY (`word_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `buf_last_seeder`
(
  `topic_id`         MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `seeder_last_seen` INT(11)               NOT NULL DEFAULT '0',
  `user_id`          MEDIUMINT(8)          NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `bb_thx`
(
  `topic_id` MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `user_id`  MEDIUMINT(8)          NOT NULL DEFAULT '0',
  `time`     INT(11)               NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`, `user_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS `buf_topic_view`
(
  `topic_id`    MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  `topic_views` MEDIUMINT(8) UNSIGNED NOT NULL DEFAULT '0',
  PRIMARY KEY (`topic_id`)
)
  ENGINE = MyISAM
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_unicode_ci;

