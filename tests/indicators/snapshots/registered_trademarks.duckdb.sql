SELECT
  "t24"."value",
  "t24"."classes",
  "t10"."have_marks"
FROM (
  SELECT
    *
  FROM (
    SELECT
      COUNT(DISTINCT "t21"."reg_no") AS "value",
      COUNT(*) AS "classes"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t19".*
          EXCLUDE ("nice_class_right")
        FROM (
          SELECT
            "t18".*
            EXCLUDE ("reg_no_right")
          FROM (
            SELECT
              "t17"."reg_no",
              "t17"."nice_class",
              "t17"."mark_name",
              "t17"."owner",
              "t17"."entity_id",
              "t17"."owner_address",
              "t17"."region_code",
              "t17"."application_date",
              "t17"."registration_date",
              "t17"."expiry_date",
              "t17"."status",
              "t17"."madrid",
              "t17"."well_known",
              "t17"."geo_indication",
              "t17"."synthetic",
              "t17"."batch_id",
              "t17"."status_as_of",
              "t9"."reg_no" AS "reg_no_right",
              "t9"."nice_class" AS "nice_class_right",
              "t9"."has_events"
            FROM (
              SELECT
                "t15".*
                EXCLUDE ("nice_class_right")
              FROM (
                SELECT
                  "t14".*
                  EXCLUDE ("reg_no_right")
                FROM (
                  SELECT
                    "t6"."reg_no",
                    "t6"."nice_class",
                    "t6"."mark_name",
                    "t6"."owner",
                    "t6"."entity_id",
                    "t6"."owner_address",
                    "t6"."region_code",
                    "t6"."application_date",
                    "t6"."registration_date",
                    "t6"."expiry_date",
                    "t6"."status",
                    "t6"."madrid",
                    "t6"."well_known",
                    "t6"."geo_indication",
                    "t6"."synthetic",
                    "t6"."batch_id",
                    "t13"."reg_no" AS "reg_no_right",
                    "t13"."nice_class" AS "nice_class_right",
                    "t13"."status_as_of"
                  FROM (
                    SELECT
                      *
                    FROM "trademark" AS "t0"
                    WHERE
                      "t0"."region_code" IN ('120116Z6', '120116402')
                  ) AS "t6"
                  LEFT OUTER JOIN (
                    SELECT
                      "t11"."reg_no",
                      "t11"."nice_class",
                      "t11"."status" AS "status_as_of"
                    FROM (
                      SELECT
                        "t5"."reg_no",
                        "t5"."nice_class",
                        FIRST(
                          "t5"."status_after" ORDER BY (
                            (
                              (
                                CAST(EXTRACT(year FROM "t5"."event_date") AS BIGINT) * 10000
                              ) + (
                                EXTRACT(month FROM "t5"."event_date") * 100
                              ) + EXTRACT(day FROM "t5"."event_date")
                            ) * 10
                          ) + CASE "t5"."status_after"
                            WHEN 'pending'
                            THEN 1
                            WHEN 'registered'
                            THEN 2
                            WHEN 'rejected'
                            THEN 3
                            WHEN 'expired'
                            THEN 3
                            WHEN 'cancelled'
                            THEN 3
                            WHEN 'invalidated'
                            THEN 3
                            ELSE 0
                          END DESC
                        ) AS "status"
                      FROM (
                        SELECT
                          *
                        FROM "trademark_event" AS "t1"
                        WHERE
                          "t1"."event_date" <= MAKE_DATE(2021, 12, 31)
                      ) AS "t5"
                      GROUP BY
                        1,
                        2
                    ) AS "t11"
                  ) AS "t13"
                    ON "t6"."reg_no" = "t13"."reg_no" AND "t6"."nice_class" = "t13"."nice_class"
                ) AS "t14"
              ) AS "t15"
            ) AS "t17"
            LEFT OUTER JOIN (
              SELECT
                "t2"."reg_no",
                "t2"."nice_class",
                TRUE AS "has_events"
              FROM (
                SELECT DISTINCT
                  "t1"."reg_no",
                  "t1"."nice_class"
                FROM "trademark_event" AS "t1"
              ) AS "t2"
            ) AS "t9"
              ON "t17"."reg_no" = "t9"."reg_no" AND "t17"."nice_class" = "t9"."nice_class"
          ) AS "t18"
        ) AS "t19"
      ) AS "t20"
      WHERE
        (
          (
            COALESCE("t20"."has_events", FALSE) AND (
              "t20"."status_as_of" = 'registered'
            )
          )
          OR (
            NOT (
              COALESCE("t20"."has_events", FALSE)
            )
            AND (
              "t20"."registration_date" IS NOT NULL
            )
            AND (
              "t20"."registration_date" <= MAKE_DATE(2021, 12, 31)
            )
            AND NOT (
              COALESCE("t20"."status", 'registered') IN ('cancelled', 'invalidated', 'rejected')
            )
          )
        )
        AND (
          (
            "t20"."expiry_date" IS NULL
          )
          OR (
            "t20"."expiry_date" >= MAKE_DATE(2021, 12, 31)
          )
        )
    ) AS "t21"
  ) AS "t22"
) AS "t24"
CROSS JOIN (
  SELECT
    COUNT(*) AS "have_marks"
  FROM (
    SELECT
      *
    FROM "trademark" AS "t0"
    WHERE
      "t0"."application_date" <= MAKE_DATE(2021, 12, 31)
  ) AS "t4"
) AS "t10"
