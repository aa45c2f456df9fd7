-- Each activity's work category and the rule that decided it (seeds/classification_rules.csv).
{{ classify(
    ref('int_activity_features'),
    ref('classification_rules'),
    ['activity_type', 'pr_author_status', 'pr_title', 'pr_labels', 'pr_branch', 'pr_body', 'pr_files',
     'pr_linked_jira', 'issue_title', 'issue_labels', 'jira_type', 'jira_priority', 'jira_labels',
     'jira_components', 'jira_summary', 'jira_completion', 'meeting_title', 'recurring_meeting_title',
     'one_on_one']
) }}
