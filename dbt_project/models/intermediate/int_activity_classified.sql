-- Each activity's work category and the rule that decided it (seeds/classification_rules.csv).
-- Incremental: a daily run classifies only the activities whose features (or the rules) changed, and
-- forgets the activities that are gone.
{{ config(
    materialized='incremental',
    unique_key='activity_id',
    incremental_strategy='delete+insert',
    post_hook="delete from {{ this }} where activity_id not in (select activity_id from {{ ref('int_activity_features') }})"
) }}
{{ classify(
    ref('int_activity_features'),
    ref('classification_rules'),
    ['activity_type', 'pr_author_status', 'pr_title', 'pr_labels', 'pr_branch', 'pr_body', 'pr_files',
     'pr_linked_jira', 'issue_title', 'issue_labels', 'jira_type', 'jira_priority', 'jira_labels',
     'jira_components', 'jira_summary', 'jira_completion', 'meeting_title', 'recurring_meeting_title',
     'one_on_one'],
    classified=this if is_incremental() else none
) }}
